/** Маркировка — placeholder until its slice lands (owner: trace-helper). */
export default function MarkingPage() {
  return <h1>Маркировка</h1>;
}
