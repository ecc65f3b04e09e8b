/** A domain's home: the sections the user's permissions open, each a tile with what it is for. */
import { Link } from "react-router-dom";
import { useMe } from "../app/auth";
import { allowed } from "../app/navigation";

export interface SectionTile {
  to: string;
  anyOf: readonly string[];
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
  const tiles = props.tiles.filter((tile) => allowed(tile, me.permissions));
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
