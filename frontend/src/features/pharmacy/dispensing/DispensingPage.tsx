/** Отпуск по рецепту — placeholder until its slice lands (owner: dispensing-helper). */
export default function DispensingPage() {
  return <h1>Отпуск по рецепту</h1>;
}
