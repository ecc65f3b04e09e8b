import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import { createApi, type Api } from "../api/client";
import { Loading } from "../components/states";
import { AuthProvider } from "./auth";
import { NotFound } from "./guards";
import { HomePage } from "./HomePage";
import { I18nProvider } from "./i18n";
import { LoginPage } from "./LoginPage";
import { createQueryClient } from "./queryClient";
import { RequireAuth } from "./Shell";

// One chunk per domain, loaded when its first page is opened.
const AdminRoutes = lazy(() => import("../features/admin/routes"));
const DashboardRoutes = lazy(() => import("../features/dashboard/routes"));
const FinanceRoutes = lazy(() => import("../features/finance/routes"));
const PharmacyRoutes = lazy(() => import("../features/pharmacy/routes"));
const RegistryRoutes = lazy(() => import("../features/registry/routes"));
const VerificationRoutes = lazy(() => import("../features/verification/routes"));
const NsiRoutes = lazy(() => import("../features/registry/nsiRoutes"));
const JobsRoutes = lazy(() => import("../features/jobs/routes"));

export function App({ api: given }: { api?: Api }) {
  const [api] = useState(() => given ?? createApi());
  const [queryClient] = useState(createQueryClient);
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <AuthProvider api={api}>
          <BrowserRouter>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route element={<RequireAuth />}>
                  <Route index element={<HomePage />} />
                  <Route path="admin/*" element={<AdminRoutes />} />
                  <Route path="dashboard/*" element={<DashboardRoutes />} />
                  <Route path="finance/*" element={<FinanceRoutes />} />
                  <Route path="pharmacy/*" element={<PharmacyRoutes />} />
                  <Route path="registry/*" element={<RegistryRoutes />} />
                  <Route path="verification/*" element={<VerificationRoutes />} />
                  <Route path="nsi/*" element={<NsiRoutes />} />
                  <Route path="jobs/*" element={<JobsRoutes />} />
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </Suspense>
          </BrowserRouter>
        </AuthProvider>
      </QueryClientProvider>
    </I18nProvider>
  );
}
