/**
 * The model bundle on a Solr node: {@link io.mmsearch.solr.model.NodeModels} loads each bundle once
 * per node and shares it between cores; {@link io.mmsearch.solr.model.ModelGuard} refuses a core
 * whose node runs another model than its collection was built with.
 */
package io.mmsearch.solr.model;
