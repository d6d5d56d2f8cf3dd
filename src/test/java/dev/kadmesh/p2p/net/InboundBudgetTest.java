package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundBudgetTest {
  private final List<String> grants = new ArrayList<>();

  private InboundBudget.Waiter waiter(String name) {
    return bytes -> grants.add(name + ":" + bytes);
  }

  @Test
  void reservationsUpToTheCapacitySucceedAndTheNextWaits() {
    InboundBudget budget = new InboundBudget(100);
    assertThat(budget.reserve(60, waiter("a"))).isTrue();
    assertThat(budget.reserve(40, waiter("b"))).isTrue();
    assertThat(budget.reserve(1, waiter("c"))).isFalse();
    assertThat(budget.reserved()).isEqualTo(100);
    assertThat(budget.waiting()).isEqualTo(1);
    assertThat(budget.waits()).isEqualTo(1);
    assertThat(grants).isEmpty();
  }

  @Test
  void releasedBytesGoToTheWaitersInArrivalOrderAndNobodyOvertakes() {
    InboundBudget budget = new InboundBudget(100);
    assertThat(budget.reserve(90, waiter("a"))).isTrue();
    assertThat(budget.reserve(50, waiter("big"))).isFalse();
    // would fit in what is left, but must not overtake the one queued before it
    assertThat(budget.reserve(5, waiter("small"))).isFalse();
    budget.release(30); // 60 held: big (50) does not fit yet
    assertThat(grants).isEmpty();
    budget.release(60); // nothing held: big and then small fit
    assertThat(grants).containsExactly("big:50", "small:5");
    assertThat(budget.reserved()).isEqualTo(55);
    assertThat(budget.waiting()).isZero();
  }

  @Test
  void aCancelledWaiterIsNeverGrantedAndNoLongerBlocksTheOnesBehindIt() {
    InboundBudget budget = new InboundBudget(100);
    assertThat(budget.reserve(80, waiter("a"))).isTrue();
    InboundBudget.Waiter gone = waiter("gone");
    assertThat(budget.reserve(50, gone)).isFalse();
    assertThat(budget.reserve(20, waiter("next"))).isFalse();
    assertThat(budget.cancel(gone)).isTrue();
    assertThat(grants).containsExactly("next:20");
    budget.release(80);
    assertThat(grants).containsExactly("next:20");
    assertThat(budget.reserved()).isEqualTo(20);
  }

  @Test
  void aWaiterAlreadyGrantedCannotBeCancelledItOwnsItsBytes() {
    InboundBudget budget = new InboundBudget(100);
    assertThat(budget.reserve(100, waiter("a"))).isTrue();
    InboundBudget.Waiter late = waiter("late");
    assertThat(budget.reserve(60, late)).isFalse();
    budget.release(100);
    assertThat(grants).containsExactly("late:60");
    assertThat(budget.cancel(late)).isFalse(); // its owner must release the 60 bytes itself
    assertThat(budget.reserved()).isEqualTo(60);
  }

  @Test
  void aReservationLargerThanTheWholeBudgetIsCutToIt() {
    InboundBudget budget = new InboundBudget(100);
    assertThat(budget.fit(500)).isEqualTo(100);
    assertThat(budget.fit(50)).isEqualTo(50);
    assertThat(new InboundBudget(0).fit(500)).isEqualTo(500);
  }

  @Test
  void withoutABudgetEveryReservationSucceedsAndNothingIsCounted() {
    InboundBudget budget = new InboundBudget(0);
    assertThat(budget.reserve(Long.MAX_VALUE / 2, waiter("a"))).isTrue();
    assertThat(budget.reserve(Long.MAX_VALUE / 2, waiter("b"))).isTrue();
    budget.release(5);
    assertThat(budget.reserved()).isZero();
    assertThat(budget.waits()).isZero();
  }
}
