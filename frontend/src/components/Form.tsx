/**
 * Form pieces that show the API's field errors (`errors[].field` such as `body.name`) next
 * to their inputs: the control gets `aria-invalid` and `aria-describedby` pointing at the
 * message, so a screen reader reads the message with the field.
 */
import { cloneElement, useId, type ReactElement, type ReactNode } from "react";
import { ApiProblem } from "../api/problem";
import { ErrorState } from "./states";

/** The messages the API gave for `body.<name>`. */
export function fieldMessages(error: unknown, name: string): string[] {
  return error instanceof ApiProblem ? error.errorsFor(`body.${name}`) : [];
}

interface ControlProps {
  id?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}

export function Field({
  label,
  name,
  error,
  hint,
  children,
}: {
  label: ReactNode;
  /** The request body field, as the API names it in its errors. */
  name: string;
  error: unknown;
  hint?: ReactNode;
  /** One input, select or textarea: it gets the id, aria-invalid and aria-describedby. */
  children: ReactElement<ControlProps>;
}) {
  const id = useId();
  const messages = fieldMessages(error, name);
  const controlId = children.props.id ?? id;
  const describedBy = [hint ? `${id}-hint` : null, messages.length ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={messages.length ? "field field-invalid" : "field"}>
      <label htmlFor={controlId}>{label}</label>
      {cloneElement(children, {
        id: controlId,
        "aria-invalid": messages.length ? true : undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {hint && (
        <span id={`${id}-hint`} className="field-hint muted">
          {hint}
        </span>
      )}
      {messages.length > 0 && (
        <span id={`${id}-error`} className="field-error">
          {messages.join(" ")}
        </span>
      )}
    </div>
  );
}

/** A group of checkboxes or radios under one legend, with the API's errors for the group. */
export function FieldSet({
  legend,
  name,
  error,
  children,
}: {
  legend: ReactNode;
  name: string;
  error: unknown;
  children: ReactNode;
}) {
  const id = useId();
  const messages = fieldMessages(error, name);
  return (
    <fieldset
      className={messages.length ? "fieldset field-invalid" : "fieldset"}
      aria-describedby={messages.length ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {children}
      {messages.length > 0 && (
        <span id={`${id}-error`} className="field-error">
          {messages.join(" ")}
        </span>
      )}
    </fieldset>
  );
}

/** The error of a submitted form that is not about one field (409, 403, no answer…). */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiProblem && error.fieldErrors.some((e) => e.field.startsWith("body."))) return null;
  return <ErrorState error={error} />;
}
