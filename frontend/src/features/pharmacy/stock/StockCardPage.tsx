/** Карточка товара — placeholder until its slice lands (owner: stock-helper). */
export default function StockCardPage() {
  return <h1>Карточка товара</h1>;
}
