/** Names of the organizations a page's persons refer to, given once and read by OrgName. */
import { createContext, useContext, type ReactNode } from "react";

const OrgNames = createContext<ReadonlyMap<string, string>>(new Map());

export function OrgNamesProvider({ names, children }: { names: ReadonlyMap<string, string>; children: ReactNode }) {
  return <OrgNames.Provider value={names}>{children}</OrgNames.Provider>;
}

/** The organization's name when known, else its id (never blank). */
export function OrgName({ id }: { id: string | null }) {
  const names = useContext(OrgNames);
  if (!id) return <>—</>;
  return <>{names.get(id) ?? id}</>;
}
