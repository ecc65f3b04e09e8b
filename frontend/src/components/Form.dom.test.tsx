import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { toApiProblem } from "../api/problem";
import { I18nProvider } from "../app/i18n";
import { Field, FieldSet, FormError } from "./Form";

// The gateway's answer to a bad POST /api/admin/users (oms_kit.errors, RFC 7807).
const problem = toApiProblem(
  422,
  {
    type: "urn:oms:problem:validation",
    title: "Некорректные данные запроса",
    status: 422,
    errors: [
      { field: "body.password", message: "Строка должна содержать не менее 10 символов", type: "string_too_short" },
      { field: "body.roles", message: "Нужна хотя бы одна роль", type: "too_short" },
    ],
  },
  new Headers({ "x-request-id": "req-9" }),
);

function UserFields({ error }: { error: unknown }) {
  return (
    <I18nProvider initial="ru">
      <form aria-label="Пользователь">
        <Field label="Логин" name="login" error={error}>
          <input defaultValue="ivanov" />
        </Field>
        <Field label="Пароль" name="password" error={error} hint="не короче 10 символов">
          <input type="password" defaultValue="short" />
        </Field>
        <FieldSet legend="Роли" name="roles" error={error}>
          <label>
            <input type="checkbox" /> Врач
          </label>
        </FieldSet>
        <FormError error={error} />
      </form>
    </I18nProvider>
  );
}

/** The text of the elements an element's aria-describedby points at. */
function description(element: HTMLElement): string {
  const ids = element.getAttribute("aria-describedby")?.split(" ") ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
}

describe("Field", () => {
  it("labels its control", () => {
    render(<UserFields error={null} />);
    expect(screen.getByLabelText("Логин").tagName).toBe("INPUT");
    expect(screen.getByLabelText("Пароль").getAttribute("type")).toBe("password");
    expect(screen.getByRole("group", { name: "Роли" })).toBeTruthy();
  });

  it("shows a server field error next to its own field only", () => {
    render(<UserFields error={problem} />);
    const password = screen.getByLabelText("Пароль");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    expect(description(password)).toContain("Строка должна содержать не менее 10 символов");
    expect(description(password)).toContain("не короче 10 символов");
    // The message sits right after the control, inside the same field.
    expect(password.parentElement?.textContent).toContain("Строка должна содержать не менее 10 символов");

    const login = screen.getByLabelText("Логин");
    expect(login.getAttribute("aria-invalid")).toBeNull();
    expect(login.getAttribute("aria-describedby")).toBeNull();

    expect(description(screen.getByRole("group", { name: "Роли" }))).toBe("Нужна хотя бы одна роль");
    // Field errors are shown at the fields, not again as a banner.
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows an error about no field as the form's error, with its request id", () => {
    const conflict = toApiProblem(409, { title: "Логин уже занят", status: 409 }, new Headers({ "x-request-id": "req-7" }));
    render(<UserFields error={conflict} />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Логин уже занят");
    expect(alert.textContent).toContain("req-7");
    expect(screen.getByLabelText("Логин").getAttribute("aria-invalid")).toBeNull();
  });
});
