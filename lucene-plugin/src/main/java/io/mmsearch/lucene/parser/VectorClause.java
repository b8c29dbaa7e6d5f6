package io.mmsearch.lucene.parser;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;

/**
 * Parse-time placeholder for a {@code near:} or {@code like:} clause; never executed ({@link
 * QueryDecomposition} removes it). Immutable; equal only to itself.
 */
final class VectorClause extends Query {
  final String kind;
  final String value;
  final int column;

  VectorClause(String kind, String value, int column) {
    this.kind = kind;
    this.value = value;
    this.column = column;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    throw new UnsupportedOperationException("vector clauses are decomposed, not executed");
  }

  @Override
  public String toString(String field) {
    return kind + ":\"" + value + "\"";
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
