import { lazy } from "react";
import { Route, Routes } from "react-router-dom";
import { NotFound } from "../../app/guards";

const JobsPage = lazy(() => import("./JobsPage"));
const JobPage = lazy(() => import("./JobPage"));

/** "Задания" (lazy-loaded chunk): the list, and one job at /jobs/<service>/<id>. */
export default function JobsRoutes() {
  return (
    <Routes>
      <Route index element={<JobsPage />} />
      <Route path=":service/:jobId" element={<JobPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
