/**
 * A domain's home: the sections the user's permissions open (and their audience, as the menu:
 * app/navigation.ts `visibleItems`), each a tile with what it is for.
 */
import { Link } from "react-router-dom";
import { useMe } from "../app/auth";
import { visibleItems } from "../app/navigation";
import type { Audience } from "../features/registry/sections";

export interface SectionTile {
  to: string;
  anyOf: readonly string[];
  audience?: Audience;
  label: string;
  hint: string;
}

export function SectionTiles(props: {
  title: string;
  intro: string;
  none: string;
  className: string;
  tiles: SectionTile[];
}) {
  const me = useMe();
  const tiles = visibleItems(props.tiles, me);
  return (
    <section>
      <h1>{props.title}</h1>
      {tiles.length === 0 ? (
        <p className="muted">{props.none}</p>
      ) : (
        <>
          <p className="muted">{props.intro}</p>
          <ul className={`tiles ${props.className}`}>
            {tiles.map((tile) => (
              <li key={tile.to}>
                <Link to={tile.to} className="tile">
                  <strong>{tile.label}</strong>
                  <span className="muted">{tile.hint}</span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
