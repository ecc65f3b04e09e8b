/** Новый рецепт — placeholder until its slice lands (owner: prescriptions-helper). */
export default function PrescriptionFormPage() {
  return <h1>Новый рецепт</h1>;
}
