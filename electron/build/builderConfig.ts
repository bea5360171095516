// electron-builder.yml as electron-builder itself resolves and validates it (extends, package.json
// "build" key, schema), so tests check the configuration that packaging really uses.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { join } from 'node:path';
import { projectRoot } from './build.ts';

export async function loadBuilderConfig(projectDir: string = projectRoot, configFile = join(projectDir, 'electron-builder.yml')): Promise<Configuration> {
  const config = await getConfig(projectDir, configFile, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}
