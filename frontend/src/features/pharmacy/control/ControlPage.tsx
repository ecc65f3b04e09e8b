/** Медико-экономический контроль — placeholder until its slice lands (owner: trace-helper). */
export default function ControlPage() {
  return <h1>Медико-экономический контроль</h1>;
}
