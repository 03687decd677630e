package dev.creditspolicy.requests;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.creditspolicy.service.Commands;
import dev.creditspolicy.service.Views.AccountView;
import dev.creditspolicy.service.Views.Answer;
import dev.creditspolicy.service.Views.BalanceView;
import dev.creditspolicy.service.Views.CommitView;
import dev.creditspolicy.service.Views.HoldView;
import dev.creditspolicy.paging.Page;
import dev.creditspolicy.service.Views.CreditsLogEntry;
import dev.creditspolicy.service.Views.ExplainedDecision;
import dev.creditspolicy.service.Views.LotView;
import dev.creditspolicy.service.Views.PlanChangeView;
import dev.creditspolicy.service.Views.ReversalView;
import dev.creditspolicy.service.Views.VoidView;
import dev.creditspolicy.store.Rows.EventKind;

/**
 * Every request kind the service takes. To add one (the README's recipe): its service method with its command
 * record, a {@link RequestKind} class in this package (with its {@link Endpoint} and body schema) and a line here;
 * the HTTP API (api/KindEndpoints, api/Routes, the OpenAPI document), the replay runner, {@code record} and
 * {@code rules impact} pick it up from this list.
 */
public final class Kinds {
    public static final RequestKind<Commands.CreateAccount, Answer<AccountView>> ACCOUNT = new AccountRequest();
    public static final RequestKind<Commands.StartCycle, Answer<LotView>> CYCLE = new CycleRequest();
    public static final RequestKind<Commands.GrantAddon, Answer<LotView>> GRANT = new GrantRequest();
    public static final RequestKind<Commands.ChangePlan, Answer<PlanChangeView>> PLAN_CHANGE = new PlanChangeRequest();
    public static final RequestKind<Commands.Usage, Answer<ExplainedDecision>> USAGE = new UsageRequest();
    public static final RequestKind<Commands.Usage, ExplainedDecision> EVALUATE = new EvaluateRequest();
    public static final RequestKind<Commands.Hold, Answer<HoldView>> HOLD = new HoldRequest();
    public static final RequestKind<Commands.Commit, Answer<CommitView>> COMMIT = new CommitRequest();
    public static final RequestKind<Commands.Release, Answer<HoldView>> RELEASE = new ReleaseRequest();
    public static final RequestKind<Commands.HoldLookup, HoldView> HOLD_STATE = new HoldReadRequest();
    public static final RequestKind<Commands.VoidLot, Answer<VoidView>> VOID = new VoidRequest();
    public static final RequestKind<Commands.Reversal, Answer<ReversalView>> REVERSAL = new ReversalRequest();
    public static final RequestKind<Commands.Balance, BalanceView> BALANCE = new BalanceRequest();
    public static final RequestKind<Commands.Lots, Page<LotView>> LOTS = new LotsRequest();
    public static final RequestKind<Commands.CreditsLog, Page<CreditsLogEntry>> CREDITS_LOG = new CreditsLogRequest();

    /** In the order the spec lists the scenario steps. */
    public static final List<RequestKind<?, ?>> ALL = List.of(ACCOUNT, CYCLE, GRANT, PLAN_CHANGE, USAGE, EVALUATE,
            BALANCE, LOTS, CREDITS_LOG, HOLD, COMMIT, RELEASE, HOLD_STATE, VOID, REVERSAL);

    private static final Map<String, RequestKind<?, ?>> BY_STEP = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(RequestKind::step, Function.identity()));
    private static final Map<EventKind, RequestKind<?, ?>> BY_EVENT = ALL.stream().filter(k -> k.event() != null)
            .collect(Collectors.toUnmodifiableMap(RequestKind::event, Function.identity()));

    private Kinds() {
    }

    /** The kind of a scenario step, or null. */
    public static RequestKind<?, ?> ofStep(String step) {
        return BY_STEP.get(step);
    }

    /** The kind that left a stored account event. */
    public static RequestKind<?, ?> ofEvent(EventKind event) {
        RequestKind<?, ?> kind = BY_EVENT.get(event);
        if (kind == null) {
            throw new IllegalStateException("no request kind leaves " + event + " events");
        }
        return kind;
    }

    /** The kinds an HTTP route serves, each with its {@link RequestKind#endpoint()}. */
    public static List<RequestKind<?, ?>> served() {
        return ALL.stream().filter(k -> k.endpoint() != null).toList();
    }

    /** The step names, in order (for messages). */
    public static List<String> steps() {
        return ALL.stream().map(RequestKind::step).toList();
    }
}
