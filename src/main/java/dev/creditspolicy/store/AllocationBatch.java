package dev.creditspolicy.store;

import static dev.creditspolicy.store.Columns.decimal;
import static dev.creditspolicy.store.Columns.integer;
import static dev.creditspolicy.store.Columns.text;

import java.util.List;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import dev.creditspolicy.store.Rows.LotAllocation;

/**
 * One round trip for all of a record's allocations, whichever table holds them (a decision's, a hold's, a
 * reversal's): the three tables share the shape {@code (<owner>, seq, lot_id, lot_type, amount)}.
 */
final class AllocationBatch {
    private AllocationBatch() {
    }

    static void insert(Handle handle, String table, String ownerColumn, List<? extends LotAllocation> rows) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO " + table + " (" + ownerColumn + ", seq, lot_id, "
                + "lot_type, amount) VALUES (:owner, :seq, :lotId, :lotType, :amount)");
        for (LotAllocation row : rows) {
            batch.bind("owner", text(row.owner()))
                    .bind("seq", integer(row.seq()))
                    .bind("lotId", text(row.lotId()))
                    .bind("lotType", text(row.lotType()))
                    .bind("amount", decimal(row.amount()))
                    .add();
        }
        batch.execute();
    }
}
