/** Rows as a spreadsheet cuts them: any line break outside quotes ends a row. */
export function spreadsheetLines(csv: string): string[] {
	const lines: string[] = [];
	let line = '';
	let quoted = false;
	for (let i = 0; i < csv.length; i++) {
		const char = csv[i]!;
		if (char === '"') quoted = !quoted;
		if (!quoted && (char === '\n' || char === '\r')) {
			if (char === '\r' && csv[i + 1] === '\n') i++;
			lines.push(line);
			line = '';
		} else line += char;
	}
	return line ? [...lines, line] : lines;
}
