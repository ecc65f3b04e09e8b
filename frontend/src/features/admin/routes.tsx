import { lazy, type ReactNode } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { NotFound, RequirePermission } from "../../app/guards";

// Each page its own chunk inside the admin area.
const OrganizationsPage = lazy(() => import("./OrganizationsPage"));
const OrganizationDetailPage = lazy(() => import("./OrganizationDetailPage"));
const UsersPage = lazy(() => import("./UsersPage"));
const UserDetailPage = lazy(() => import("./UserDetailPage"));
const UserEditPage = lazy(() => import("./UserEditPage"));
const ApiKeysPage = lazy(() => import("./ApiKeysPage"));
const SigningKeysPage = lazy(() => import("./SigningKeysPage"));

const guarded = (permission: string, page: ReactNode) => <RequirePermission anyOf={[permission]}>{page}</RequirePermission>;

export default function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="organizations" replace />} />
      <Route path="organizations" element={guarded("gateway.organization:read", <OrganizationsPage />)} />
      <Route path="organizations/:orgId" element={guarded("gateway.organization:read", <OrganizationDetailPage />)} />
      <Route path="users" element={guarded("gateway.user:read", <UsersPage />)} />
      <Route path="users/:userId" element={guarded("gateway.user:read", <UserDetailPage />)} />
      <Route path="users/:userId/edit" element={guarded("gateway.user:write", <UserEditPage />)} />
      <Route path="api-keys" element={guarded("gateway.api_key:read", <ApiKeysPage />)} />
      <Route path="signing-keys" element={guarded("gateway.signing_key:read", <SigningKeysPage />)} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
