import { protectFormula, spreadsheetCsv } from '../csv';
import {
	FICHE_STATUSES,
	STATUS_LABELS,
	isFicheStatus,
	statusCount,
	statusWord
} from '../../utils/vocabulary';
import { isoDateCell, type Sheet } from '../spreadsheet';
import type { DashboardFigures, GroupFigures } from './figures';
import { formatNumber, formatPercent, formatQuarter, pluralize } from '../../utils/format';

export type Cell = string | number | null;

/** One chart's figures as a table: what the page shows beside the chart and what its CSV holds. */
export interface FigureTable {
	id: string;
	title: string;
	unit: string;
	columns: { key: string; label: string }[];
	rows: Cell[][];
	/** One sentence for screen readers (aria-label of the chart). */
	summary: string;
}

const statusColumns = FICHE_STATUSES.map((s) => ({ key: s, label: STATUS_LABELS[s] }));

/**
 * The table of a figure by axis or orientation: both charts' figures (average advancement and
 * fiches by status); `unit` says what its chart draws, one or the other (its caption).
 */
function groupTable(
	id: string,
	title: string,
	unit: string,
	first: string,
	groups: GroupFigures[]
): FigureTable {
	return {
		id,
		title,
		unit,
		columns: [
			{ key: 'code', label: 'Code' },
			{ key: 'libelle', label: first },
			{ key: 'fiches', label: 'Fiches' },
			{ key: 'fiches_evaluees', label: 'Fiches évaluées' },
			{ key: 'avancement_moyen', label: 'Avancement moyen (%)' },
			...statusColumns
		],
		rows: groups.map((g) => [
			g.code,
			g.label,
			g.fiches,
			g.assessed,
			g.meanProgress,
			...FICHE_STATUSES.map((s) => g.statuses[s])
		]),
		summary: `${title} : ${groups.map((g) => `${g.label}, ${pluralize(g.fiches, 'fiche', 'fiches')} dont ${g.statuses.en_cours} ${statusWord('en_cours', g.statuses.en_cours)} et ${g.statuses.realisee} ${statusWord('realisee', g.statuses.realisee)}, avancement moyen ${formatPercent(g.meanProgress)}`).join(' ; ')}.`
	};
}

export function figureTables(figures: DashboardFigures): FigureTable[] {
	return [
		// Published bilans keep the caption frozen in their snapshot (« … ; nombre de fiches par
		// statut » for both figures in those published before 6 December 2026).
		groupTable(
			'avancement-axes',
			'Avancement par axe',
			'avancement moyen en % des fiches évaluées',
			'Axe',
			figures.byAxis
		),
		groupTable(
			'avancement-orientations',
			'Avancement par orientation',
			'nombre de fiches par statut',
			'Orientation',
			figures.byOrientation
		),
		{
			id: 'statuts-priorites',
			title: 'Fiches par statut et par priorité',
			unit: 'nombre de fiches',
			columns: [
				{ key: 'statut', label: 'Statut' },
				{ key: 'priorite_1', label: 'Priorité 1' },
				{ key: 'priorite_2', label: 'Priorité 2' }
			],
			// Codes, as grille-fiches.csv and the open data (the page and the .xlsx write labels);
			// bilans published before 6 December 2026 keep the labels they were frozen with.
			rows: FICHE_STATUSES.map((s) => [s, ...figures.statusByPriority.map((p) => p.statuses[s])]),
			summary: `Fiches par statut : ${figures.statusByPriority.map((p) => `priorité ${p.priority}, ${FICHE_STATUSES.map((s) => statusCount(s, p.statuses[s])).join(', ')}`).join(' ; ')}.`
		},
		{
			id: 'activite-trimestres',
			title: 'Mises à jour validées par trimestre',
			unit: 'nombre de mises à jour',
			columns: [
				{ key: 'trimestre', label: 'Trimestre' },
				{ key: 'mises_a_jour', label: 'Mises à jour validées' }
			],
			rows: figures.activityByQuarter.map((a) => [a.quarter, a.count]),
			summary:
				figures.activityByQuarter.length === 0
					? 'Aucune mise à jour validée.'
					: `Mises à jour validées par trimestre : ${figures.activityByQuarter.map((a) => `${formatQuarter(a.quarter)} : ${formatNumber(a.count)}`).join(', ')}.`
		},
		{
			id: 'activite-organisations',
			title: 'Mises à jour validées par organisation',
			unit: 'nombre de mises à jour',
			columns: [
				{ key: 'organisation', label: 'Organisation' },
				{ key: 'mises_a_jour', label: 'Mises à jour validées' }
			],
			rows: figures.activityByOrganisation.map((a) => [a.organisation, a.count]),
			summary:
				figures.activityByOrganisation.length === 0
					? 'Aucune mise à jour validée.'
					: `Mises à jour validées par organisation : ${figures.activityByOrganisation.map((a) => `${a.organisation} : ${formatNumber(a.count)}`).join(', ')}.`
		},
		{
			id: 'indicateurs',
			title: 'Valeurs des indicateurs',
			unit: 'unité de chaque indicateur',
			columns: [
				{ key: 'fiche', label: 'Fiche' },
				{ key: 'indicateur', label: 'Indicateur' },
				{ key: 'unite', label: 'Unité' },
				{ key: 'cible', label: 'Cible' },
				{ key: 'date', label: 'Date' },
				{ key: 'valeur', label: 'Valeur' }
			],
			rows: figures.indicators.flatMap((i) =>
				i.points.map((p) => [i.fiche, i.label, i.unit, i.target, p.date, p.value])
			),
			summary: `${pluralize(figures.indicators.length, 'indicateur mesuré', 'indicateurs mesurés')}.`
		},
		{
			id: 'grille-fiches',
			title: 'Les fiches par statut',
			unit: 'statut de chaque fiche',
			columns: [
				{ key: 'code', label: 'Fiche' },
				{ key: 'titre', label: 'Titre' },
				{ key: 'priorite', label: 'Priorité' },
				{ key: 'statut', label: 'Statut' }
			],
			rows: figures.grid.map((f) => [f.code, f.title, f.priority, f.status]),
			summary: `${pluralize(figures.grid.length, 'fiche', 'fiches')} : ${FICHE_STATUSES.map((s) => statusCount(s, figures.totals.statuses[s])).join(', ')}.`
		}
	];
}

/**
 * Machine formats: dot decimals, ISO dates, codes; empty for null. Text cells (labels, names) are
 * guarded against formula injection; numbers are written as they are.
 */
export function tableToCsv(table: FigureTable): string {
	return spreadsheetCsv([
		table.columns.map((c) => c.key),
		...table.rows.map((row) =>
			row.map((cell) =>
				cell === null ? '' : typeof cell === 'string' ? protectFormula(cell) : String(cell)
			)
		)
	]);
}

/** The same table for people: French headers and labels, dates as dates (`.xlsx` downloads). */
export function tableToSheet(table: FigureTable, period: string): Sheet {
	return {
		title: table.title,
		note: `${table.title} — ${table.unit} — ${period}`,
		headers: table.columns.map((c) => c.label),
		rows: table.rows.map((row) =>
			row.map((cell, i) => {
				const key = table.columns[i]?.key;
				if (typeof cell === 'string' && key === 'date') return isoDateCell(cell);
				if (typeof cell === 'string' && key === 'statut' && isFicheStatus(cell))
					return STATUS_LABELS[cell];
				if (cell === null && key === 'avancement_moyen') return 'non évalué';
				if (typeof cell === 'string' && key === 'trimestre') return formatQuarter(cell);
				return cell;
			})
		)
	};
}

/**
 * What a page needs to draw the dashboard, each figure once: the tables of the charts and each
 * indicator's values (its table is drawn from them beside its chart). The combined table of
 * indicator values stays a CSV download and is not sent to the page a second time.
 */
export interface DashboardView {
	totals: DashboardFigures['totals'];
	indicators: DashboardFigures['indicators'];
	tables: FigureTable[];
}

export function dashboardView(figures: DashboardFigures, tables: FigureTable[]): DashboardView {
	return {
		totals: figures.totals,
		indicators: figures.indicators,
		tables: tables.filter((t) => t.id !== 'indicateurs')
	};
}
