import { writeFileSync } from 'node:fs';
import { ticketExportCsv, ticketExportXlsx } from './ticket-exports.js';

// Writes the demo's sample 12345 exports (demo/imports/12345-export.xlsx and .csv):
// npx tsx demo/make-ticket-exports.ts
const dir = new URL('./imports/', import.meta.url);
writeFileSync(new URL('12345-export.xlsx', dir), await ticketExportXlsx());
writeFileSync(new URL('12345-export.csv', dir), ticketExportCsv());
