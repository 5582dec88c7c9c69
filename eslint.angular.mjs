import nx from '@nx/eslint-plugin';
import baseConfig from './eslint.config.mjs';

/** ESLint for the Angular projects (dashboard app and libs): base rules plus Angular's, prefix `km`. */
export default [
  ...nx.configs['flat/angular'],
  ...nx.configs['flat/angular-template'],
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'km', style: 'camelCase' }],
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'km', style: 'kebab-case' }],
    },
  },
];
