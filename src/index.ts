export * from './web-service';
export * from './source';
export * from './instance-size';
export * from './secret';
export * from './health-check';
export * from './auto-scaling';
export * from './observability';
