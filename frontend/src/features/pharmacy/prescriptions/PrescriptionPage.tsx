/** Рецепт — placeholder until its slice lands (owner: prescriptions-helper). */
export default function PrescriptionPage() {
  return <h1>Рецепт</h1>;
}
