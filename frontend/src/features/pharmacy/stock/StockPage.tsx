/** Остатки — placeholder until its slice lands (owner: stock-helper). */
export default function StockPage() {
  return <h1>Остатки</h1>;
}
