/** The whole SPA in jsdom over a fake gateway, optionally logged in through the login form. */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../app/App";
import type { components } from "../api/generated/gateway";
import { fakeGateway, loginRoutes } from "./fakeGateway";

type Me = components["schemas"]["Me"];

export async function renderApp(options: { path?: string; as?: Me; routes?: Parameters<typeof fakeGateway>[0] } = {}) {
  window.history.replaceState({}, "", options.path ?? "/");
  const gateway = fakeGateway({ ...(options.as ? loginRoutes(options.as) : {}), ...options.routes });
  const user = userEvent.setup();
  const view = render(<App api={gateway.api} />);
  if (options.as) {
    await user.type(await screen.findByLabelText("Логин"), options.as.login);
    await user.type(screen.getByLabelText("Пароль"), "demo{Enter}");
    await screen.findByRole("navigation", { name: "Разделы" });
  }
  return { ...view, ...gateway, user };
}
