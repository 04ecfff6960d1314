import fiches from './data/fiches.json';
import history from './data/history.json';
import organisations from './data/organisations.json';
import structure from './data/structure.json';
import type { SeedFiche, SeedHistory, SeedOrganisation, SeedStructure } from './types';

/** The plan as kept in the repository (JSON files beside this module), typed. */
export const PLAN_DATA = {
	structure: structure as SeedStructure,
	organisations: organisations as SeedOrganisation[],
	fiches: fiches as SeedFiche[],
	history: history as SeedHistory
};

export type PlanData = typeof PLAN_DATA;
