import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { PHARMACIST } from "../test/fakeGateway";
import { renderApp } from "../test/renderApp";

describe("the login page", () => {
  it("has labelled inputs and sends an anonymous visitor there", async () => {
    await renderApp({ path: "/admin/users" });
    const login = await screen.findByLabelText("Логин");
    const password = screen.getByLabelText("Пароль");
    expect(window.location.pathname).toBe("/login");
    expect(login.getAttribute("autocomplete")).toBe("username");
    expect(password.getAttribute("type")).toBe("password");
    expect(screen.getByRole("heading", { name: "Вход в систему" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Войти" })).toBeTruthy();
  });

  it("shows the gateway's 401 problem and starts no session", async () => {
    const { user, requests } = await renderApp({
      routes: {
        "POST /api/auth/login": {
          status: 401,
          body: { type: "urn:oms:problem:unauthorized", title: "Неверный логин или пароль", status: 401 },
        },
      },
    });
    await user.type(await screen.findByLabelText("Логин"), "admin");
    await user.type(screen.getByLabelText("Пароль"), "wrong{Enter}");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Неверный логин или пароль");
    expect(requests.map((r) => r.key)).toEqual(["POST /api/auth/login"]);
    expect(requests[0]?.body).toEqual({ login: "admin", password: "wrong" });
    expect(screen.queryByRole("navigation")).toBeNull();
  });

  it("logs in with the Enter key, the login trimmed, and lands where the user was going", async () => {
    const { user, requests } = await renderApp({
      path: "/pharmacy",
      routes: {
        "POST /api/auth/login": { status: 200, body: { access_token: "a", refresh_token: "r", expires_in: 900, refresh_expires_in: 3600 } },
        "GET /api/auth/me": { status: 200, body: PHARMACIST },
      },
    });
    await user.type(await screen.findByLabelText("Логин"), " pharmacist ");
    await user.type(screen.getByLabelText("Пароль"), "demo{Enter}");
    await screen.findByRole("navigation", { name: "Разделы" });
    await waitFor(() => expect(window.location.pathname).toBe("/pharmacy"));
    expect(requests[0]?.body).toEqual({ login: "pharmacist", password: "demo" });
  });
});
