package dev.crl.environments.alfworld;

/** ALFWorld's six task types. */
public enum TaskType {
  PICK_AND_PLACE,
  PICK_CLEAN_THEN_PLACE,
  PICK_HEAT_THEN_PLACE,
  PICK_COOL_THEN_PLACE,
  LOOK_AT_OBJ_IN_LIGHT,
  PICK_TWO_OBJ_AND_PLACE
}
