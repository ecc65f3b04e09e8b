/** Карточка льготника — placeholder until its slice lands (owner: demo-helper). */
export default function BeneficiaryPage() {
  return <h1>Карточка льготника</h1>;
}
