package dev.creditspolicy.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import dev.creditspolicy.store.Rows.CreditsLogRow;
import dev.creditspolicy.store.Rows.LotRow;

@RegisterConstructorMapper(LotRow.class)
@RegisterConstructorMapper(CreditsLogRow.class)
public interface LotDao {

    @SqlUpdate("INSERT INTO lots (lot_id, account_id, realm, source, plan, origin_product, reason, amount, remaining, "
            + "effective_at, expires_at, initial_expires_at, request_hash) VALUES (:lotId, :accountId, :realm, "
            + ":source, :plan, :originProduct, :reason, :amount, :remaining, :effectiveAt, :expiresAt, "
            + ":initialExpiresAt, :requestHash)")
    void insert(@BindMethods LotRow row);

    @SqlQuery("SELECT * FROM lots WHERE lot_id = :lotId")
    Optional<LotRow> find(@Bind("lotId") String lotId);

    @SqlQuery("SELECT * FROM lots WHERE account_id = :accountId ORDER BY lot_id")
    List<LotRow> ofAccount(@Bind("accountId") String accountId);

    /**
     * The lots that can pay at {@code t}: started, not yet expired, not empty. This only prunes what cannot be active
     * by definition (fewer facts for the rules); which of them a call may use, and in which order, the rules decide.
     */
    @SqlQuery("SELECT * FROM lots WHERE account_id = :accountId AND expires_at > :t AND effective_at <= :t "
            + "AND remaining > 0 ORDER BY lot_id")
    List<LotRow> activeAt(@Bind("accountId") String accountId, @Bind("t") Instant t);

    /** Guarded decrement: updates nothing (and the caller rolls back) rather than let a lot go negative. */
    @SqlUpdate("UPDATE lots SET remaining = remaining - :amount WHERE lot_id = :lotId AND remaining >= :amount")
    int deduct(@Bind("lotId") String lotId, @Bind("amount") BigDecimal amount);

    @SqlUpdate("UPDATE lots SET expires_at = :expiresAt WHERE lot_id = :lotId AND expires_at > :expiresAt")
    int shortenExpiry(@Bind("lotId") String lotId, @Bind("expiresAt") Instant expiresAt);

    @SqlUpdate("INSERT INTO credits_log (account_id, lot_id, credit_type, reason, amount, effective_at, "
            + "initial_expires_at, recorded_at) VALUES (:accountId, :lotId, :creditType, :reason, :amount, "
            + ":effectiveAt, :initialExpiresAt, :recordedAt)")
    @GetGeneratedKeys("entry_id")
    long insertLog(@BindMethods CreditsLogRow row);

    @SqlQuery("SELECT * FROM credits_log WHERE account_id = :accountId ORDER BY effective_at DESC, entry_id DESC")
    List<CreditsLogRow> creditsLog(@Bind("accountId") String accountId);
}
