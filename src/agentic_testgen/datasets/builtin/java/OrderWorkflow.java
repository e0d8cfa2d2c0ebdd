package atg.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The life of an order as a state machine. Every step checks the state it starts from and records a
 * transition stamped by an injectable clock; listeners see each transition.
 *
 * <pre>
 *   CREATED --pay--> PAID --ship--> SHIPPED --deliver--> DELIVERED --refund--> REFUNDED
 *      |               |                                 (within the refund window)
 *      +----cancel-----+--> CANCELLED (a paid order is cancelled with its payment refunded)
 * </pre>
 */
public final class OrderWorkflow {
    public enum State {
        CREATED,
        PAID,
        SHIPPED,
        DELIVERED,
        CANCELLED,
        REFUNDED
    }

    public record Transition(State from, State to, Instant at, String note) {}

    private static final Map<State, Set<State>> ALLOWED =
            Map.of(
                    State.CREATED, EnumSet.of(State.PAID, State.CANCELLED),
                    State.PAID, EnumSet.of(State.SHIPPED, State.CANCELLED),
                    State.SHIPPED, EnumSet.of(State.DELIVERED),
                    State.DELIVERED, EnumSet.of(State.REFUNDED),
                    State.CANCELLED, EnumSet.noneOf(State.class),
                    State.REFUNDED, EnumSet.noneOf(State.class));

    private final long totalCents;
    private final Clock clock;
    private final Duration refundWindow;
    private final List<Transition> history = new ArrayList<>();
    private final List<Consumer<Transition>> listeners = new ArrayList<>();
    private State state = State.CREATED;
    private long refundedCents;
    private String trackingNumber;

    public OrderWorkflow(long totalCents, Clock clock, Duration refundWindow) {
        if (totalCents <= 0) {
            throw new IllegalArgumentException("the total must be positive");
        }
        if (refundWindow.isNegative()) {
            throw new IllegalArgumentException("the refund window must not be negative");
        }
        this.totalCents = totalCents;
        this.clock = clock;
        this.refundWindow = refundWindow;
    }

    public State state() {
        return state;
    }

    public List<Transition> history() {
        return List.copyOf(history);
    }

    public long refundedCents() {
        return refundedCents;
    }

    public String trackingNumber() {
        return trackingNumber;
    }

    public boolean canMoveTo(State next) {
        return ALLOWED.get(state).contains(next);
    }

    public void onTransition(Consumer<Transition> listener) {
        listeners.add(listener);
    }

    public void pay(long amountCents) {
        require(State.PAID);
        if (amountCents != totalCents) {
            throw new IllegalArgumentException(
                    "payment of " + amountCents + " does not match the total " + totalCents);
        }
        move(State.PAID, "paid " + amountCents);
    }

    public void ship(String tracking) {
        require(State.SHIPPED);
        if (tracking == null || tracking.isBlank()) {
            throw new IllegalArgumentException("a tracking number is required");
        }
        trackingNumber = tracking.strip();
        move(State.SHIPPED, "tracking " + trackingNumber);
    }

    public void deliver() {
        require(State.DELIVERED);
        move(State.DELIVERED, "delivered");
    }

    public void cancel(String reason) {
        require(State.CANCELLED);
        if (state == State.PAID) {
            refundedCents = totalCents;
        }
        move(State.CANCELLED, reason == null || reason.isBlank() ? "cancelled" : reason);
    }

    /** Refund a delivered order, while the refund window since delivery is open. */
    public void refund() {
        require(State.REFUNDED);
        Instant delivered = history.get(history.size() - 1).at();
        if (clock.instant().isAfter(delivered.plus(refundWindow))) {
            throw new IllegalStateException(
                    "the refund window closed at " + delivered.plus(refundWindow));
        }
        refundedCents = totalCents;
        move(State.REFUNDED, "refunded " + totalCents);
    }

    private void require(State next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("cannot go from " + state + " to " + next);
        }
    }

    private void move(State next, String note) {
        Transition transition = new Transition(state, next, clock.instant(), note);
        state = next;
        history.add(transition);
        for (Consumer<Transition> listener : listeners) {
            listener.accept(transition);
        }
    }
}
