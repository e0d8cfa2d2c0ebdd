package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atg.examples.OrderWorkflow.State;
import atg.examples.OrderWorkflow.Transition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

class OrderWorkflowTest {
    /** A clock that only moves when told to. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2024-05-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }

    private final ManualClock clock = new ManualClock();

    private OrderWorkflow order() {
        return new OrderWorkflow(2500, clock, Duration.ofDays(30));
    }

    private OrderWorkflow delivered() {
        OrderWorkflow order = order();
        order.pay(2500);
        order.ship("TRK-1");
        order.deliver();
        return order;
    }

    @Test
    void goesFromCreatedToDeliveredWithAStampedHistory() {
        OrderWorkflow order = order();
        order.pay(2500);
        clock.advance(Duration.ofHours(5));
        order.ship("  TRK-42 ");
        clock.advance(Duration.ofDays(2));
        order.deliver();
        assertEquals(State.DELIVERED, order.state());
        assertEquals("TRK-42", order.trackingNumber());
        assertEquals(
                List.of(
                        new Transition(
                                State.CREATED,
                                State.PAID,
                                Instant.parse("2024-05-01T10:00:00Z"),
                                "paid 2500"),
                        new Transition(
                                State.PAID,
                                State.SHIPPED,
                                Instant.parse("2024-05-01T15:00:00Z"),
                                "tracking TRK-42"),
                        new Transition(
                                State.SHIPPED,
                                State.DELIVERED,
                                Instant.parse("2024-05-03T15:00:00Z"),
                                "delivered")),
                order.history());
    }

    @Test
    void aPaymentMustMatchTheTotal() {
        OrderWorkflow order = order();
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> order.pay(2400));
        assertEquals("payment of 2400 does not match the total 2500", error.getMessage());
        assertEquals(State.CREATED, order.state());
    }

    @Test
    void shippingNeedsATrackingNumber() {
        OrderWorkflow order = order();
        order.pay(2500);
        assertThrows(IllegalArgumentException.class, () -> order.ship(null));
        assertThrows(IllegalArgumentException.class, () -> order.ship("  "));
        assertNull(order.trackingNumber());
    }

    @Test
    void illegalStepsAreRefusedWithoutChangingTheState() {
        OrderWorkflow order = order();
        IllegalStateException error = assertThrows(IllegalStateException.class, order::deliver);
        assertEquals("cannot go from CREATED to DELIVERED", error.getMessage());
        assertThrows(IllegalStateException.class, () -> order.ship("TRK"));
        assertThrows(IllegalStateException.class, order::refund);
        order.pay(2500);
        assertThrows(IllegalStateException.class, () -> order.pay(2500));
        assertEquals(State.PAID, order.state());
    }

    @Test
    void cancellingAnUnpaidOrderRefundsNothing() {
        OrderWorkflow order = order();
        order.cancel("changed my mind");
        assertEquals(State.CANCELLED, order.state());
        assertEquals(0, order.refundedCents());
        assertEquals("changed my mind", order.history().get(0).note());
        assertThrows(IllegalStateException.class, () -> order.pay(2500));
    }

    @Test
    void cancellingAPaidOrderRefundsThePayment() {
        OrderWorkflow order = order();
        order.pay(2500);
        order.cancel(null);
        assertEquals(2500, order.refundedCents());
        assertEquals("cancelled", order.history().get(1).note());
    }

    @Test
    void aShippedOrderCannotBeCancelled() {
        OrderWorkflow order = order();
        order.pay(2500);
        order.ship("TRK");
        assertThrows(IllegalStateException.class, () -> order.cancel(" "));
    }

    @ParameterizedTest
    @CsvSource({"0, true", "720, true", "721, false"})
    void refundsOnlyWithinTheWindow(long hoursAfterDelivery, boolean allowed) {
        OrderWorkflow order = delivered();
        clock.advance(Duration.ofHours(hoursAfterDelivery));
        if (allowed) {
            order.refund();
            assertEquals(State.REFUNDED, order.state());
            assertEquals(2500, order.refundedCents());
        } else {
            IllegalStateException error = assertThrows(IllegalStateException.class, order::refund);
            assertEquals("the refund window closed at 2024-05-31T10:00:00Z", error.getMessage());
            assertEquals(State.DELIVERED, order.state());
        }
    }

    @Test
    void finalStatesAllowNoMoreSteps() {
        OrderWorkflow order = delivered();
        order.refund();
        for (State state : State.values()) {
            assertFalse(order.canMoveTo(state), state.name());
        }
    }

    @Test
    void listenersSeeEveryTransitionInOrder() {
        OrderWorkflow order = order();
        List<String> seen = new ArrayList<>();
        order.onTransition(t -> seen.add(t.from() + "->" + t.to()));
        order.pay(2500);
        order.cancel("no stock");
        assertEquals(List.of("CREATED->PAID", "PAID->CANCELLED"), seen);
    }

    @Test
    void theHistoryIsACopy() {
        OrderWorkflow order = order();
        assertThrows(UnsupportedOperationException.class, () -> order.history().add(null));
        assertTrue(order.canMoveTo(State.PAID));
    }

    @Test
    void rejectsABadTotalOrWindow() {
        assertThrows(
                IllegalArgumentException.class, () -> new OrderWorkflow(0, clock, Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class,
                () -> new OrderWorkflow(100, clock, Duration.ofDays(-1)));
    }
}
