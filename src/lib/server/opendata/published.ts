import { cachedByRevision } from '../db/revision-cache';
import { computeDashboard } from '../dashboard/figures';
import { loadDashboardInput } from '../dashboard/repository';
import { figureTables } from '../dashboard/tables';
import { buildPlanDocument, planDocumentToCsv, planDocumentToJson } from './plan-document';

/** The open-data files and the live dashboard, recomputed once per change of published data. */
export const publishedPlanJson = cachedByRevision(async (db) =>
	planDocumentToJson(await buildPlanDocument(db))
);
export const publishedPlanCsv = cachedByRevision(async (db) =>
	planDocumentToCsv(await buildPlanDocument(db))
);
export const liveDashboard = cachedByRevision(async (db) => {
	const figures = computeDashboard(await loadDashboardInput(db));
	return { figures, tables: figureTables(figures) };
});
