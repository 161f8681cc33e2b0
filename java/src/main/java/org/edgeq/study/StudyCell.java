package org.edgeq.study;

/**
 * One cell of a study: a variant of one base model, with its place in the plan and its id.
 *
 * @param index   0-based place in the plan (base models in order, each with every variant in order)
 * @param id      the cell id, {@link #idOf}: stable across runs, machines and output folders
 * @param base    the base model the cell starts from
 * @param variant what the cell does to it
 * @param label   a name for people, e.g. synthetic-blobs/dense-simple rounding-uniform-4bit
 */
public record StudyCell(int index, String id, BaseModelSpec base, Variant variant, String label) {

    /**
     * The id of the cell of {@code variant} on {@code base}: the first 12 hex digits of the SHA-256 of the base
     * model's canonical text, a newline and the variant's canonical text. Never paths or time, so the same definition
     * has the same id everywhere, and changing a cell's definition changes only its id. The integer simulator is a
     * variant of its own ({@link Variant.Hwsim}), not a flag on every cell: adding it to a study adds cells and keeps
     * every other id.
     */
    public static String idOf(BaseModelSpec base, Variant variant) {
        return BaseModelKey.hash12(base.canonical() + "\n" + variant.canonical());
    }

    /** The rows the cell makes. */
    public int rows() {
        return variant.rows();
    }
}
