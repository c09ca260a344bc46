export { AddDynamoItem } from './add-dynamo-item.js';
export { QueryDynamoTable } from './query-dynamo-table.js';
export { ScanDynamoTable } from './scan-dynamo-table.js';
export { UploadFileData } from './upload-file-data.js';
