package io.searchmigrate.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.UserError;
import io.searchmigrate.pipelines.options.TargetClusterOptions;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidateOptionsTest {
  @Test
  void targetFlagsAreTheSharedTargetOptions() {
    ValidateOptions options = RunnerPresets.parse(List.of("--source=http://127.0.0.1:9200", "--target=http://127.0.0.1:9201",
        "--targetInsecure=true", "--settle=5s"), ValidateOptions.class);
    assertEquals("http://127.0.0.1:9201", TargetClusterOptions.endpoint(options).url());
    assertEquals("http://127.0.0.1:9200", options.getSource());
    assertEquals("5s", options.getSettle());
  }

  @Test
  void theTargetIsRequired() {
    UserError e = assertThrows(UserError.class,
        () -> RunnerPresets.parse(List.of("--source=http://127.0.0.1:9200"), ValidateOptions.class));
    assertTrue(e.getMessage().contains("--target"), e.getMessage());
  }
}
