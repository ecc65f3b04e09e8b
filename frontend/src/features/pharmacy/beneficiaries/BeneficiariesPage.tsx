/** Льготники — placeholder until its slice lands (owner: demo-helper). */
export default function BeneficiariesPage() {
  return <h1>Льготники</h1>;
}
