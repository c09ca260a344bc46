export { CreateTableV2 } from './create-table-v2.js';
export { DeleteValuesV2 } from './delete-values-v2.js';
export { DoSQL } from './do-sql.js';
export { DropTableV2 } from './drop-table-v2.js';
export { InsertValuesV2 } from './insert-values-v2.js';
export { SelectValuesV2 } from './select-values-v2.js';
export { UpdateValuesV2 } from './update-values-v2.js';
