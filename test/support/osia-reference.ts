/** Finds the official OSIA 7.1 files (`../shared/osia/7.1/` beside the clone, or OSIA_REFERENCE_DIR). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/openapi/project-root.js';

export function osiaReferenceDir(): string | undefined {
  const dir = process.env.OSIA_REFERENCE_DIR ?? path.resolve(projectRoot(), '..', 'shared', 'osia', '7.1');
  return existsSync(dir) ? dir : undefined;
}

/** Our file name for each official file name. */
export const REFERENCE_FILES: Record<string, string> = {
  enrollment: 'enrollment.yaml',
  pr: 'pr.yaml',
  dataaccess: 'dataaccess.yaml',
  uin: 'uin.yaml',
  notification: 'notification.yaml',
  cms: 'cms.yaml',
  thirdparty: '3rdparty.yaml',
  abis: 'abis.yaml',
};
