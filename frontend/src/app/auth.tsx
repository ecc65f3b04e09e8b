/**
 * Who is logged in. Login → tokens into the in-memory Session → GET /api/auth/me. When the
 * session ends (logout, or a refresh refused) every cached query is dropped and the router
 * sends the user to /login, which says why.
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { unwrap, type Api } from "../api/client";
import type { components } from "../api/generated/gateway";
import type { SessionEndReason } from "../api/session";

export type Me = components["schemas"]["Me"];

type AuthState =
  | { status: "anonymous"; endReason: SessionEndReason | null }
  | { status: "authenticated"; me: Me };

interface Auth {
  state: AuthState;
  login: (login: string, password: string) => Promise<void>;
  /** Ends the session at once; spending the refresh token on the gateway is not waited for. */
  logout: () => void;
}

const ApiContext = createContext<Api | null>(null);
const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ api, children }: { api: Api; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AuthState>({ status: "anonymous", endReason: null });

  useEffect(
    () =>
      api.session.subscribe((event) => {
        if (event.kind === "ended") {
          queryClient.clear();
          setState({ status: "anonymous", endReason: event.reason });
        }
      }),
    [api, queryClient],
  );

  const login = useCallback(
    async (login: string, password: string) => {
      const pair = await unwrap(api.gateway.POST("/api/auth/login", { body: { login, password } }));
      api.session.start(pair);
      try {
        const me = await unwrap(api.gateway.GET("/api/auth/me"));
        setState({ status: "authenticated", me });
      } catch (error) {
        api.session.end("logout");
        throw error;
      }
    },
    [api],
  );

  const logout = useCallback(() => {
    const refreshToken = api.session.refreshToken;
    if (refreshToken) {
      // Spend the refresh tokens on the gateway; leaving locally does not wait for it.
      void api.gateway.POST("/api/auth/logout", { body: { refresh_token: refreshToken } }).catch(() => undefined);
    }
    api.session.end("logout");
  }, [api]);

  const value = useMemo<Auth>(() => ({ state, login, logout }), [state, login, logout]);
  return (
    <ApiContext.Provider value={api}>
      <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
    </ApiContext.Provider>
  );
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside AuthProvider");
  return api;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}

/** The current user; only inside routes behind RequireAuth. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== "authenticated") throw new Error("useMe without a session");
  return state.me;
}

export function useHasPermission(): (permission: string) => boolean {
  const me = useMe();
  return useCallback((permission: string) => me.permissions.includes(permission), [me]);
}
