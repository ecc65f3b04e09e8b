/** Server state of the MO register screens (registry/mo_register). */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components, operations } from "../../../api/generated/registry";
import { useApi } from "../../../app/auth";

export type MoSummary = components["schemas"]["MoSummary"];
export type MoCard = components["schemas"]["MoCard"];
export type MoTree = components["schemas"]["MoTree"];
export type BranchNode = components["schemas"]["BranchNode"];
export type DepartmentNode = components["schemas"]["DepartmentNode"];
export type LicenseRead = components["schemas"]["LicenseRead"];
export type AreaRead = components["schemas"]["AreaRead"];
export type MoPopulation = components["schemas"]["MoPopulation"];
export type EquipmentRead = components["schemas"]["EquipmentRead"];
export type EquipmentCard = components["schemas"]["EquipmentCard"];
export type EquipmentNeedReport = components["schemas"]["EquipmentNeedReport"];
export type NeedLine = components["schemas"]["NeedLine"];
export type EquipmentState = components["schemas"]["EquipmentStateKind"];

type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;
export type MoQuery = Query<"mo_register-list-mos">;
export type EquipmentQuery = Query<"mo_register-list-equipment">;

const key = (...parts: unknown[]) => ["registry", "mo", ...parts] as const;

export function useMos(query: MoQuery) {
  const api = useApi();
  return useQuery({
    queryKey: key("list", query),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/mo-register/mos", { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useTerritories() {
  const api = useApi();
  return useQuery({
    queryKey: key("territories"),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/mo-register/territories", { params: { query: { limit: 500 } }, signal })),
    staleTime: 10 * 60_000,
  });
}

export function useMoCard(moId: string) {
  const api = useApi();
  return useQuery({
    queryKey: key("card", moId),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/mo-register/mos/{mo_id}", { params: { path: { mo_id: moId } }, signal })),
  });
}

export function useMoTree(moId: string) {
  const api = useApi();
  return useQuery({
    queryKey: key("tree", moId),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/mo-register/mos/{mo_id}/tree", { params: { path: { mo_id: moId } }, signal })),
  });
}

export function useLicenses(moId: string) {
  const api = useApi();
  return useQuery({
    queryKey: key("licenses", moId),
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/mo-register/mos/{mo_id}/licenses", { params: { path: { mo_id: moId }, query: { limit: 500 } }, signal })),
  });
}

export function useAreas(moId: string) {
  const api = useApi();
  return useQuery({
    queryKey: key("areas", moId),
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/mo-register/mos/{mo_id}/areas", { params: { path: { mo_id: moId }, query: { limit: 500 } }, signal })),
  });
}

export function useMoPopulation(moId: string, on: string) {
  const api = useApi();
  return useQuery({
    queryKey: key("population", moId, on),
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/mo-register/mos/{mo_id}/population", { params: { path: { mo_id: moId }, query: { on } }, signal })),
    placeholderData: keepPreviousData,
    enabled: on !== "",
  });
}

export function useEquipment(moId: string, query: EquipmentQuery) {
  const api = useApi();
  return useQuery({
    queryKey: key("equipment", moId, query),
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/mo-register/mos/{mo_id}/equipment", { params: { path: { mo_id: moId }, query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useEquipmentCard(equipmentId: string) {
  const api = useApi();
  return useQuery({
    queryKey: key("equipment-card", equipmentId),
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/mo-register/equipment/{equipment_id}", { params: { path: { equipment_id: equipmentId } }, signal })),
  });
}

export function useNeed(moId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: key("need", moId),
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/mo-register/equipment-need", { params: { query: moId ? { mo_id: moId } : {} }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useStandards() {
  const api = useApi();
  return useQuery({
    queryKey: key("standards"),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/mo-register/standards", { signal })),
    staleTime: 60 * 60_000,
  });
}
