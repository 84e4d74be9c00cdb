import type { CostLineParsed } from '@liftlab/contracts';
import { allocateCosts, type CostLedger } from '@liftlab/stats';

/**
 * Ledger lines as people enter them (contracts) → the cost ledger of @liftlab/stats. Incentives are entered
 * as redemptions × discount per redemption, so only discounts actually redeemed are charged.
 */
export function toStatsLedger(lines: readonly CostLineParsed[]): CostLedger {
  const ledger = {
    technology: [] as NonNullable<CostLedger['technology']>[number][],
    people: [] as NonNullable<CostLedger['people']>[number][],
    content: [] as NonNullable<CostLedger['content']>[number][],
    media: [] as NonNullable<CostLedger['media']>[number][],
    incentives: [] as NonNullable<CostLedger['incentives']>[number][],
  };
  for (const line of lines) {
    switch (line.category) {
      case 'technology':
        ledger.technology.push({
          monthlyCost: line.monthlyCost,
          totalCustomers: line.totalCustomers,
          touchedCustomers: line.touchedCustomers,
          months: line.months,
          startMonth: line.startMonth,
        });
        break;
      case 'people':
        ledger.people.push({ hours: line.hours, loadedRate: line.loadedRate, month: line.month });
        break;
      case 'content':
        ledger.content.push({
          cost: line.cost,
          usefulLifeMonths: line.usefulLifeMonths,
          monthsUsed: line.monthsUsed,
          startMonth: line.startMonth,
        });
        break;
      case 'media':
        ledger.media.push({ amount: line.amount, month: line.month });
        break;
      case 'incentives':
        ledger.incentives.push({ amount: line.redemptions * line.discountPerRedemption, month: line.month });
        break;
    }
  }
  return ledger;
}

/** Undiscounted amount one line charges the campaign over all its months. */
export function lineTotal(line: CostLineParsed): number {
  return allocateCosts(toStatsLedger([line])).total;
}
