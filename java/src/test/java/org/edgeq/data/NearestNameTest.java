package org.edgeq.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The "did you mean" of a refused name: the nearest allowed name by edit distance, only when it is near. */
class NearestNameTest {
    private static final List<String> NAMES = List.of("churn", "telescope", "california", "mv");

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, NearestName.distance("mv", "mv"));
        assertEquals(1, NearestName.distance("telescop", "telescope"));
        assertEquals(2, NearestName.distance("chrun", "churn"), "a swap is two substitutions");
        assertEquals(3, NearestName.distance("", "abc"));
    }

    @Test
    void theNearestNameIsSuggestedIgnoringCase() {
        assertEquals("; did you mean telescope?", NearestName.hint("Telescop", NAMES));
        assertEquals("; did you mean california?", NearestName.hint("califronia", NAMES));
    }

    @Test
    void aWordFarFromEveryNameGetsNoSuggestion() {
        assertEquals("", NearestName.hint("imagenet", NAMES));
        assertEquals("", NearestName.hint("xyz", NAMES));
    }
}
