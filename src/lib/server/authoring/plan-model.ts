import type { RichItem, RichText } from '../../utils/rich-text';
import { blockList, itemChildren, itemText } from '../../utils/rich-text';
import type { IndicatorKind, OrganisationKind } from '../db/schema';
import type { PlanInfo } from '../plan/repository';

/**
 * The priority of a fiche added to a plan in force, from its form (createFiche) as from the
 * workbook (plan-diff.ts refuses another): the commission alone makes it a priority.
 */
export const NEW_FICHE_PRIORITY = 2;

/**
 * The plan as the workbook holds it (src/lib/server/authoring/workbook.ts) and as the import
 * compares it: flat rows keyed by what a person reads (codes, numbers, organisation identifiers),
 * text sections as the text of their cell. Read from the database by import-repository.ts, from a
 * workbook by workbook.ts, compared by plan-diff.ts.
 */
export interface PlanModel {
	plan: PlanInfo | null;
	axes: AxisRow[];
	orientations: OrientationRow[];
	objectives: ObjectiveRow[];
	organisations: OrganisationRow[];
	fiches: FicheRow[];
	people: PersonRow[];
	links: LinkRow[];
	indicators: IndicatorRow[];
	/**
	 * Organisations retired from the plan, which fiches may still name (a retirement leaves them
	 * there): not in the « Organisations » sheet, but named in the sheet of owners and partners.
	 */
	retiredOrganisations?: RetiredOrganisation[];
}

export interface RetiredOrganisation {
	slug: string;
	name: string;
	/** The organisation it was merged into, when it was. */
	mergedInto?: string | null;
}

export interface AxisRow {
	code: string;
	shortName: string;
	label: string;
}

export interface OrientationRow {
	code: string;
	axis: string;
	label: string;
}

export interface ObjectiveRow {
	number: number;
	orientation: string;
	label: string;
	synthesisLabel: string | null;
}

export interface OrganisationRow {
	slug: string;
	name: string;
	fullName: string | null;
	kind: OrganisationKind;
}

export interface FicheRow {
	code: string;
	objective: number;
	title: string;
	shortTitle: string | null;
	priority: number;
	context: string;
	existing: string;
	description: string;
	successFactors: string;
	ownersNote: string | null;
}

export interface PersonRow {
	fiche: string;
	role: 'owner' | 'partner';
	/** The organisation's identifier (slug). */
	organisation: string;
	/** An owner's scope, a partner's detail. */
	detail: string | null;
	/** An owner's note. */
	note: string | null;
}

export interface LinkRow {
	fiche: string;
	linked: string;
}

export interface IndicatorRow {
	fiche: string;
	position: number;
	label: string;
	unit: string | null;
	kind: IndicatorKind;
	target: number | null;
	targetDate: string | null;
	baseline: number | null;
	baselineDate: string | null;
}

export function emptyPlanModel(): PlanModel {
	return {
		plan: null,
		axes: [],
		orientations: [],
		objectives: [],
		organisations: [],
		fiches: [],
		people: [],
		links: [],
		indicators: []
	};
}

/** The words of the workbook's « Nature » column for each kind of indicator (written and read). */
export const INDICATOR_KIND_CELLS: Record<IndicatorKind, string> = {
	count: 'Nombre',
	percentage: 'Pourcentage',
	amount: 'Montant en euros',
	boolean: 'Oui ou non'
};

const INDENT = '  ';
const ORDERED = /^(\d+)\. (.*)$/;
const BULLET = /^- (.*)$/;

/**
 * A fiche's structured text as the text of one cell: a paragraph per line, list items as
 * « - item » or « 1. item », nested items indented by two spaces. cellToRichText reads it back.
 */
export function richTextToCell(text: RichText): string {
	const lines: string[] = [];
	const walk = (items: RichItem[], ordered: boolean, depth: number) => {
		items.forEach((item, i) => {
			lines.push(`${INDENT.repeat(depth)}${ordered ? `${i + 1}. ` : '- '}${itemText(item)}`);
			const children = itemChildren(item);
			if (children) walk(children.items, children.ordered, depth + 1);
		});
	};
	for (const block of text) {
		const list = blockList(block);
		if (list) walk(list.items, list.ordered, 0);
		else lines.push(block as string);
	}
	return lines.join('\n');
}

interface Line {
	depth: number;
	ordered: boolean | null;
	text: string;
}

function parseLine(raw: string): Line | null {
	const trimmedEnd = raw.trimEnd();
	if (trimmedEnd.trim() === '') return null;
	const spaces = /^ */.exec(trimmedEnd)![0].length;
	const body = trimmedEnd.slice(spaces);
	const ordered = ORDERED.exec(body);
	if (ordered) return { depth: Math.floor(spaces / 2), ordered: true, text: ordered[2]! };
	const bullet = BULLET.exec(body);
	if (bullet) return { depth: Math.floor(spaces / 2), ordered: false, text: bullet[1]! };
	return { depth: 0, ordered: null, text: body };
}

/** The structured text of a cell written as richTextToCell writes it (or typed by a person). */
export function cellToRichText(cell: string): RichText {
	const lines = cell
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map(parseLine)
		.filter((line): line is Line => line !== null);
	const blocks: RichText = [];
	let i = 0;
	/** The items of one list at `depth`, from line i on, while they keep its kind. */
	const readList = (depth: number, ordered: boolean): RichItem[] => {
		const items: RichItem[] = [];
		while (i < lines.length) {
			const line = lines[i]!;
			if (line.ordered === null || line.depth !== depth || line.ordered !== ordered) break;
			i++;
			const next = lines[i];
			if (next && next.ordered !== null && next.depth > depth) {
				const childOrdered = next.ordered;
				const children = readList(next.depth, childOrdered);
				items.push(
					childOrdered ? { text: line.text, ol: children } : { text: line.text, ul: children }
				);
			} else items.push(line.text);
		}
		return items;
	};
	while (i < lines.length) {
		const line = lines[i]!;
		if (line.ordered === null) {
			blocks.push(line.text);
			i++;
			continue;
		}
		const items = readList(line.depth, line.ordered);
		if (items.length === 0) {
			// An indented item with no list above it: read it as a paragraph.
			blocks.push(line.text);
			i++;
			continue;
		}
		blocks.push(line.ordered ? { ol: items } : { ul: items });
	}
	return blocks;
}
