import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../app/i18n";
import { ErrorBoundary } from "./ErrorBoundary";

function Page({ broken }: { broken: boolean }) {
  if (broken) throw new Error("chunk OrganizationsPage-1a2b.js is gone");
  return <p>Страница</p>;
}

function Shell({ path, broken }: { path: string; broken: boolean }) {
  return (
    <I18nProvider initial="ru">
      <nav aria-label="Разделы">меню</nav>
      <ErrorBoundary resetKey={path}>
        <Page broken={broken} />
      </ErrorBoundary>
    </I18nProvider>
  );
}

describe("ErrorBoundary", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows the failure in place of the page, keeps the menu, and recovers on another path", () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { rerender } = render(<Shell path="/admin/organizations" broken />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Страница не отобразилась из-за ошибки");
    expect(alert.textContent).toContain("chunk OrganizationsPage-1a2b.js is gone");
    expect(screen.getByRole("button", { name: "Обновить страницу" })).toBeTruthy();
    expect(screen.getByRole("navigation", { name: "Разделы" })).toBeTruthy();
    expect(logged).toHaveBeenCalled();

    // The same path stays failed; another one renders again.
    rerender(<Shell path="/admin/organizations" broken={false} />);
    expect(screen.queryByText("Страница")).toBeNull();
    rerender(<Shell path="/admin/users" broken={false} />);
    expect(screen.getByText("Страница")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
