/** The file layer of the ERP import: CSV folders and XLSX workbooks in, import records out. */
export { importFileDefaults, loadImportFiles, openImportFiles } from './load.ts';
export type { ImportFileSource, LoadImportFilesOptions, LoadedImportFiles } from './load.ts';
export { importFileColumns, importFileNames } from './layout.ts';
export type { ColumnSpec, ColumnType, ImportFileName } from './layout.ts';
export { csvTemplate, importTemplateExamples, writeImportTemplates, xlsxTemplate } from './templates.ts';
