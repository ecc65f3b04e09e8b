/** Отсроченное обслуживание — placeholder until its slice lands (owner: dispensing-helper). */
export default function DeferredPage() {
  return <h1>Отсроченное обслуживание</h1>;
}
