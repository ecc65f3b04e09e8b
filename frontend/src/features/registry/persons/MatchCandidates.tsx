/**
 * Candidates of a match (or of a refused registration): each with its ОИП, grade, a score
 * meter against the grade thresholds, and the per-field reasons as bars.
 */
import { Link } from "react-router-dom";
import { formatDate, formatNumber } from "../../../app/format";
import { useRegistryText, type RegistryText } from "../texts";
import { formatSnils, fullName } from "./format";
import { reasonBars, scoreScale, type Grade, type MatchCandidate, type MatchReason } from "./reasons";

export function gradeLabel(t: RegistryText, grade: Grade): string {
  return t(`reg.grade.${grade}`);
}

export function GradeChip({ grade }: { grade: Grade }) {
  const t = useRegistryText();
  return (
    <span className={`chip grade-${grade}`} data-testid="grade">
      {gradeLabel(t, grade)}
    </span>
  );
}

/** The score on a bar from 0 past the "certain" threshold, with the thresholds marked. */
export function ScoreMeter({ score, thresholds }: { score: number; thresholds?: Record<string, number> }) {
  const t = useRegistryText();
  const scale = scoreScale(score, thresholds);
  return (
    <div className="score-meter">
      <meter
        min={0}
        max={scale.max}
        value={Math.max(0, score)}
        low={scale.marks[1]!.value}
        high={scale.marks[2]!.value}
        optimum={0}
        aria-label={t("reg.match.scoreLabel")}
        data-testid="score"
      >
        {formatNumber(score, 1)}
      </meter>
      <div className="score-track" aria-hidden="true">
        <div className="score-fill" style={{ width: `${scale.score}%` }} />
        {scale.marks.map((m) => (
          <span key={m.grade} className="score-mark" style={{ left: `${m.percent}%` }} title={t("reg.grade.threshold", { grade: gradeLabel(t, m.grade), value: m.value })} />
        ))}
      </div>
      <span className="score-value">{t("reg.match.score", { score: formatNumber(score, 1) })}</span>
    </div>
  );
}

/** Each field's reason: a bar right (for) or left (against), its weight and the register's words. */
export function ReasonBars({ reasons }: { reasons: readonly MatchReason[] }) {
  const t = useRegistryText();
  const bars = reasonBars(reasons);
  return (
    <ul className="reasons" aria-label={t("reg.match.reasons")}>
      {bars.map((b, i) => (
        <li key={`${b.field}-${i}`} className={`reason reason-${b.direction}`} data-testid="reason" data-field={b.field} data-level={b.level}>
          <span className="reason-text">{b.detail}</span>
          <span className="reason-bar" aria-hidden="true">
            <span className="reason-half bar-against">{b.direction === "against" && <span style={{ width: `${b.percent}%` }} />}</span>
            <span className="reason-half bar-for">{b.direction === "for" && <span style={{ width: `${b.percent}%` }} />}</span>
          </span>
          <span className="reason-weight">
            {b.weight > 0 ? "+" : b.weight < 0 ? "−" : ""}
            {formatNumber(Math.abs(b.weight), 1)}
            <span className="visually-hidden"> ({b.direction === "against" ? t("reg.match.against") : t("reg.match.for")})</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function MatchCandidates({ candidates, thresholds }: { candidates: readonly MatchCandidate[]; thresholds?: Record<string, number> }) {
  const t = useRegistryText();
  return (
    <ol className="candidates" data-testid="candidates">
      {candidates.map((c) => (
        <li key={c.person_id} className="candidate" data-testid="candidate" data-oip={c.oip}>
          <div className="candidate-head">
            <strong>
              {c.person ? fullName(c.person) : t("reg.f.oip") + " " + String(c.oip)}
            </strong>
            <GradeChip grade={c.grade} />
            <Link to={`/registry/persons/${c.person_id}`}>{t("reg.match.open")}</Link>
          </div>
          {c.person ? (
            <p className="muted candidate-facts">
              {t("reg.f.oip")} {c.oip} · {formatDate(c.person.birth_date)} · {t(`reg.sex.${c.person.sex}`)} · {t("reg.f.snils")} {formatSnils(c.person.snils)} · {t("reg.f.enp")}{" "}
              {c.person.enp ?? "—"}
            </p>
          ) : (
            <p className="muted candidate-facts">
              {t("reg.f.oip")} {c.oip}
            </p>
          )}
          <ScoreMeter score={c.score} thresholds={thresholds} />
          <ReasonBars reasons={c.reasons} />
        </li>
      ))}
    </ol>
  );
}
