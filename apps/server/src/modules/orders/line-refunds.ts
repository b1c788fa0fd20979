/**
 * The money refunds by line gave back per order line (ADR 0044), for the order detail: a refund by line is made
 * and priced for all its lines at once (`lineRefundAmount`), so no line has an amount of its own. Each refund's
 * amount is split over its lines in proportion to what their units cost at their prices (unit price × units),
 * the cents left over going to the lines with the largest remainders (the first line on a tie), so the lines of a
 * refund add up to its amount exactly, and all lines to the money refunded by line (`line_refunded_total`).
 *
 * Counted: the reservations that stand (`order_refund` pending or refunded, as `refundedQuantity` counts their
 * units); released or reversed ones gave their amount back. Units refunded by line before reservations were kept
 * (no `order_refund` row) share what is left of `line_refunded_total`, by the same rule. A refund of an amount
 * (not by line) belongs to no line.
 */

export interface LineForRefunds {
  id: string;
  unitPrice: number;
  /** Units refunded by line (reservations that stand included). */
  refundedQuantity: number;
}

export interface LineRefundRecord {
  amount: number;
  lines: { orderLineId: string; quantity: number }[];
}

/** `amount` split over `parts` by their weights, largest remainder; by units when every weight is 0. */
function split(
  amount: number,
  parts: { id: string; weight: number; quantity: number }[],
): Map<string, number> {
  const shares = new Map<string, number>();
  if (!parts.length || amount <= 0) return shares;
  const byWeight = parts.some((part) => part.weight > 0);
  const weight = (part: (typeof parts)[number]) => BigInt(byWeight ? part.weight : part.quantity);
  const total = parts.reduce((sum, part) => sum + weight(part), 0n);
  if (total <= 0n) return shares;
  const whole = parts.map((part, index) => {
    const numerator = BigInt(amount) * weight(part);
    return { id: part.id, index, share: numerator / total, remainder: numerator % total };
  });
  let left = amount - whole.reduce((sum, part) => sum + Number(part.share), 0);
  for (const part of [...whole].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  )) {
    if (left <= 0) break;
    part.share += 1n;
    left -= 1;
  }
  for (const part of whole) shares.set(part.id, (shares.get(part.id) ?? 0) + Number(part.share));
  return shares;
}

/** Per order line id, the money refunds by line gave back for it (0 for a line none did). */
export function refundedPerLine(
  lines: readonly LineForRefunds[],
  refunds: readonly LineRefundRecord[],
  lineRefundedTotal: number,
): Map<string, number> {
  const byId = new Map(lines.map((line) => [line.id, line]));
  const refunded = new Map(lines.map((line) => [line.id, 0]));
  const covered = new Map<string, number>();
  let counted = 0;
  for (const refund of refunds) {
    // One part per line (a line named twice in a refund is one part of its units).
    const parts = new Map<string, { id: string; weight: number; quantity: number }>();
    for (const { orderLineId, quantity } of refund.lines) {
      const line = byId.get(orderLineId);
      if (!line || quantity <= 0) continue;
      const part = parts.get(orderLineId) ?? { id: orderLineId, weight: 0, quantity: 0 };
      part.weight += line.unitPrice * quantity;
      part.quantity += quantity;
      parts.set(orderLineId, part);
      covered.set(orderLineId, (covered.get(orderLineId) ?? 0) + quantity);
    }
    if (!parts.size) continue;
    counted += refund.amount;
    for (const [id, share] of split(refund.amount, [...parts.values()]))
      refunded.set(id, refunded.get(id)! + share);
  }
  // Refunded by line before reservations were kept: what is left of the money refunded by line.
  const legacy = lines
    .map((line) => {
      const quantity = Math.max(0, line.refundedQuantity - (covered.get(line.id) ?? 0));
      return { id: line.id, weight: line.unitPrice * quantity, quantity };
    })
    .filter((part) => part.quantity > 0);
  for (const [id, share] of split(Math.max(0, lineRefundedTotal - counted), legacy))
    refunded.set(id, refunded.get(id)! + share);
  return refunded;
}
