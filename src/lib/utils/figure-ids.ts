/**
 * The dashboard's tables (src/lib/server/dashboard/tables.ts), by the name their files have in the
 * address (`/tableau-de-bord/statuts-priorites.csv`, `/bilans/2025/grille-fiches.xlsx`): the
 * routes' matcher (src/params/figure.ts) lets no other name reach them.
 */
export const FIGURE_IDS: readonly string[] = [
	'avancement-axes',
	'avancement-orientations',
	'statuts-priorites',
	'activite-trimestres',
	'activite-organisations',
	'indicateurs',
	'grille-fiches'
];
