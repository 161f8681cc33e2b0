package org.edgeq.data;

/** What a dataset's target is: a class label or a real value. */
public enum Task {
    CLASSIFICATION, REGRESSION
}
