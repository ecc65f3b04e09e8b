import { lazy } from "react";
import { Route, Routes } from "react-router-dom";
import { NotFound, RequirePermission } from "../../app/guards";

// The NSI browser (/nsi, a chunk of its own); each page a chunk inside it.
const DictionariesPage = lazy(() => import("./DictionariesPage"));
const DictionaryPage = lazy(() => import("./DictionaryPage"));
const EntryPage = lazy(() => import("./EntryPage"));
const DiffPage = lazy(() => import("./DiffPage"));
const ImportPage = lazy(() => import("./ImportPage"));

export default function NsiRoutes() {
  return (
    <RequirePermission anyOf={["registry.nsi:read"]}>
      <Routes>
        <Route index element={<DictionariesPage />} />
        <Route path=":code" element={<DictionaryPage />} />
        <Route path=":code/entries/:entryCode" element={<EntryPage />} />
        <Route path=":code/diff" element={<DiffPage />} />
        <Route path=":code/import" element={<ImportPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </RequirePermission>
  );
}
