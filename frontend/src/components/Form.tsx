/** Form pieces that show the API's field errors (`errors[].field` such as `body.name`) under their inputs. */
import type { ReactNode } from "react";
import { ApiProblem } from "../api/problem";
import { ErrorState } from "./states";

export function Field({
  label,
  name,
  error,
  children,
}: {
  label: ReactNode;
  /** The request body field, as the API names it in its errors. */
  name: string;
  error: unknown;
  children: ReactNode;
}) {
  const messages = error instanceof ApiProblem ? error.errorsFor(`body.${name}`) : [];
  return (
    <label className={messages.length ? "field field-invalid" : "field"}>
      {label}
      {children}
      {messages.map((m) => (
        <span key={m} className="field-error">
          {m}
        </span>
      ))}
    </label>
  );
}

/** The error of a submitted form that is not about one field (409, 403, no answer…). */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiProblem && error.fieldErrors.some((e) => e.field.startsWith("body."))) return null;
  return <ErrorState error={error} />;
}
