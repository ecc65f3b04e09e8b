/** Рецепты — placeholder until its slice lands (owner: prescriptions-helper). */
export default function PrescriptionsPage() {
  return <h1>Рецепты</h1>;
}
