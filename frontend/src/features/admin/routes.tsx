import { lazy } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { NotFound, RequirePermission } from "../../app/guards";

// Each page its own chunk inside the admin area.
const OrganizationsPage = lazy(() => import("./OrganizationsPage"));
const UsersPage = lazy(() => import("./UsersPage"));
const ApiKeysPage = lazy(() => import("./ApiKeysPage"));

export default function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="organizations" replace />} />
      <Route
        path="organizations"
        element={
          <RequirePermission anyOf={["gateway.organization:read"]}>
            <OrganizationsPage />
          </RequirePermission>
        }
      />
      <Route
        path="users"
        element={
          <RequirePermission anyOf={["gateway.user:read"]}>
            <UsersPage />
          </RequirePermission>
        }
      />
      <Route
        path="api-keys"
        element={
          <RequirePermission anyOf={["gateway.api_key:read"]}>
            <ApiKeysPage />
          </RequirePermission>
        }
      />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
